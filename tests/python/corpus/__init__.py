"""Bad landing inputs for the quality guard, built from one small valid center day."""
