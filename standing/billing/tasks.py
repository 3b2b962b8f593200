from django.tasks import task

from .models import Document


@task()
def render_document_pdf(document_id: int):
    """Render a document's PDF after its transaction committed (idempotent)."""
    from .services import store_pdf

    document = Document.objects.select_related("customer").filter(pk=document_id).first()
    if document is not None:
        store_pdf(document)
