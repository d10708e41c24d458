"""Where notices leave the machine: Tencent Cloud SMS (tencent_sms.py, signed with tc3.py) and SMTP email
(smtp_email.py). Each is configured from the settings; nothing here knows about applications or notices."""
