from rest_framework import pagination, serializers


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (default 50, at most 200).

    Responses are ``{"count", "next", "previous", "results"}``. A ``page_size`` that is not a
    whole number of at least 1 answers 400 (DRF would quietly use the default); larger than
    200 gives 200. A page past the end answers 404.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw != "" and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise serializers.ValidationError(
                {self.page_size_query_param: ["A whole number of at least 1."]}
            )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page (default {self.page_size}; more than "
                    f"{self.max_page_size} gives {self.max_page_size})."
                )
        return parameters
