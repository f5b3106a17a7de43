"""The shell: configuration, database, Telegram routers, scheduler jobs, reports and the CLI."""
