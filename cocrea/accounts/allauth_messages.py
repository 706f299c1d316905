"""django-allauth's own strings that its Spanish catalogue words in tú, named here so that
makemessages puts them in our catalogue, where they are translated in usted (the site's one
register). Ours wins: Django reads settings.LOCALE_PATHS before the apps' catalogues.

Only strings of the parts of allauth that Cocrea uses (email log-in, TOTP and recovery codes);
phone numbers, passkeys, security keys, login codes and trusted browsers are off. Each msgid must
equal allauth's exactly (allauth/locale/es/LC_MESSAGES/django.po)."""

from django.utils.translation import gettext_noop

MESSAGES = [
    gettext_noop("Be patient, you are sending too many requests."),
    gettext_noop(
        "You cannot generate recovery codes without having two-factor authentication enabled."
    ),
    gettext_noop("Your email has been changed from %(from_email)s to %(to_email)s."),
    gettext_noop(
        "You're receiving this email because user %(user_display)s has given your email address"
        " to register an account on %(site_domain)s."
    ),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize the"
        " signup process. If you do not see the verification email in your main inbox, check"
        " your spam folder. Please contact us if you do not receive the verification email"
        " within a few minutes."
    ),
    gettext_noop(
        '<strong>Note:</strong> you can still <a href="%(email_url)s">change your email'
        " address</a>."
    ),
    gettext_noop(
        "You currently do not have any email address set up. You should really add an email"
        " address so you can receive notifications, reset your password, etc."
    ),
]
