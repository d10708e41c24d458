"""The web shell on top of the domains: sign-in, errors, health probes, security headers, static files, the
staff home pages and the application page that composes the domains' sections."""
