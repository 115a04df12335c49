"""Pure functions from what docker prints to the records in dockersim.state; they raise only ParseError."""
