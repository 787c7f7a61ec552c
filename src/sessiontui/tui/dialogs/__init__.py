"""Modal dialogs the screens open: confirm, tell the room, replan, help, check back, a new session.

A layer below the screens, so a screen can open a dialog without importing another screen.
"""
