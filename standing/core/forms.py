from django import forms


class BootstrapMixin:
    """Give every widget Bootstrap's class, so templates render fields with ``{{ field }}``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
                field.empty_label = "–"  # Django's own label is not translated into German
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class _ListedChoices(forms.models.ModelChoiceIterator):
    """The choices read in one query into the queryset's cache: Django's own iterator asks
    EXISTS first and then streams through a server-side cursor (DECLARE, FETCH, CLOSE on
    PostgreSQL) for every rendering, which a handful of a customer's rows does not need."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self):
        return len(self.queryset) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.queryset)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over a small set (one customer's objects, their vendors), rendered
    from one query."""

    iterator = _ListedChoices
