from django import forms
from django.utils.translation import gettext_lazy as _

from cocrea.accounts.models import User
from cocrea.accounts.services import user_set_public_name


class SignupExtraForm(forms.Form):
    """What allauth's sign-up asks besides email and password: the public name."""

    public_name = forms.CharField(
        label=_("Public name"),
        max_length=80,
        help_text=_(
            "Shown next to what you publish. It can be a pseudonym; your email is never shown."
        ),
    )

    def clean_public_name(self) -> str:
        name: str = self.cleaned_data["public_name"].strip()
        if "@" in name:
            raise forms.ValidationError(_("A public name cannot contain an email address."))
        return name

    def signup(self, request: object, user: User) -> None:
        """Called by allauth once the new user is saved."""
        user_set_public_name(actor=user, user=user, public_name=self.cleaned_data["public_name"])


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):  # type: ignore[attr-defined]
            raise forms.ValidationError(_("The password is not right."))
        return password
