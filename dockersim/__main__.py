from dockersim.cli import entry_point

entry_point()
