"""Custom actions of the Rester chez soi assistant (rasa-sdk action server)."""
