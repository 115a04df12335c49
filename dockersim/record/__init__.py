"""`dockersim record`: authoring by demonstration. A scenario written from what an instructor types once in
a watched shell, replayed and put through the mutation check; a homework spec from a reference solution."""
