"""The python-telegram-bot shell."""
