"""Intake: the front door every update comes through (who may use the bot, each update
once, each learner's hourly count), and the recording of voice answers."""
