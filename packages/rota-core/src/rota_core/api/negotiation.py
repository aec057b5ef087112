"""Content negotiation: ``?format=`` wins over the Accept header."""

from rest_framework.negotiation import DefaultContentNegotiation


class FormatWinsNegotiation(DefaultContentNegotiation):
    """``?format=csv`` answers CSV even to ``Accept: application/json``.

    DRF narrows the renderers to the format asked for and then still requires the Accept
    header to match one (406 otherwise), so an SPA helper that always sends
    ``Accept: application/json`` could not download the CSV it links to. A format named in
    the URL is the client's explicit choice: it wins. An unknown format is 404, as in DRF.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        format_asked = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if format_asked:
            renderer = self.filter_renderers(renderers, format_asked)[0]
            return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
