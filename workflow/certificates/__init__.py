"""Certificates: numbering (gapless per year), the PDF (context, HTML, rendering, the "DICABUT"
stamp), signing (PAdES), the HR-editable templates, verification and the HR's ZIP. The writes
that issue, render and revoke a certificate are services (``workflow/services/certificates.py``)."""
