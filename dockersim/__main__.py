from dockersim.cli import main

main()
