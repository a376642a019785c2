"""Message text: what the learner reads (feedback, progress, transcripts), as Telegram's
HTML, split to fit."""
