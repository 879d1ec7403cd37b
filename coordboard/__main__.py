from coordboard.cli import main

if __name__ == "__main__":  # not when a second process imports it (ledger_parts)
    main()
