from django import forms
from django.contrib.auth import password_validation


class LoginForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập", max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label="Mật khẩu", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class PasswordChangeForm(forms.Form):
    """The new password is checked here; the current one by the view, counted like a sign-in and only once the new
    password is acceptable (so the form never tells whether a guess of the current one was right)."""

    old_password = forms.CharField(label="Mật khẩu hiện tại", strip=False, widget=forms.PasswordInput)
    new_password1 = forms.CharField(label="Mật khẩu mới", strip=False, widget=forms.PasswordInput,
                                    help_text="Ít nhất 10 ký tự, không quá giống tên đăng nhập, không toàn chữ số.")
    new_password2 = forms.CharField(label="Nhập lại mật khẩu mới", strip=False, widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("new_password1"), data.get("new_password2")
        if p1 and p2 and p1 != p2:
            self.add_error("new_password2", "Hai lần nhập mật khẩu mới không khớp.")
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)
        return data


class UserImportForm(forms.Form):
    file = forms.FileField(label="Bảng tính Excel (.xlsx)")

    def clean_file(self):
        from dondoc.core.xlsx import check_upload

        f = self.cleaned_data["file"]
        try:
            check_upload(f)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return f
