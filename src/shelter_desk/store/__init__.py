"""The only layer that speaks SQL: the SQLCipher connection, migrations and repositories."""
