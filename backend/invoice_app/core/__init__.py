"""The thin core every feature builds on: settings, AWS clients, errors, DynamoDB helpers, limits."""
