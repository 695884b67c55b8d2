from django import forms


class CredentialForm(forms.Form):
    credential = forms.CharField(
        max_length=120,
        help_text="As written after your name: MD, DO, RN, NP, PA-C, PharmD, FACS, or "
        "'Board certified in cardiology'.",
    )
    issuer = forms.CharField(max_length=200, required=False, label="Issued by")
    evidence = forms.CharField(
        max_length=300, required=False, label="License number or public register link"
    )
