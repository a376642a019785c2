"""The conversation: the dispatcher, its routers (practice, progress, settings), the
buttons, and a chat's turns."""
