"""Image preprocessing reference tooling (PIL fixtures for the Java fidelity tests)."""
