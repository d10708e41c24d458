"""From 进入复试 to the first day: second-round scheduling, interviewer scorecards, the second-round decision,
offers, and the reminders around them.

models (tables), audit (process events and the application's timeline), scheduling (availability, rounds,
slots, bookings, WeCom schedules and meetings), scorecards (blind until one's own is in), round_decisions (pass /
hold / reject), offers (policy, approval or direct send, the candidate's answer, expiry), notices (sent once),
reminders (the scheduled sweep), views (candidate pages under /i/<token>/), staff_views (/m pages).
"""
