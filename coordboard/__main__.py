from coordboard.cli import main

main()
