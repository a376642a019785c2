"""The workers' outputs to Telegram: recordings downloaded, the status message kept up to
date, the outcome delivered."""
