"""Qt item models: ids and a row cache, fetched through services on the database worker."""
