"""Activity records (活动记录): study sessions, cleanups, festivals, with photos and documents."""
