from standing.cli import main

main()
