from django import forms
from django.conf import settings


class CheckForm(forms.Form):
    text = forms.CharField(
        label="Your draft post",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
        strip=False,
        required=False,
        help_text=f"Up to {settings.HCSM_CHECKER_MAX_CHARS:,} characters. Nothing you paste "
        "here is stored or logged.",
    )
