"""The office's paperwork: the bulletin (督办通报), the ledger (台账), the scores (考核).

Each report is data first (built in SQL, testable on its own), then a writer
that turns it into a file people open: DOCX with python-docx, XLSX with openpyxl.
"""
