"""What the tests' AWS emulator adds to moto, each part following AWS's API reference."""
