"""Every rule of the supervision workflow, once. Front ends call these; nothing here imports Textual."""
