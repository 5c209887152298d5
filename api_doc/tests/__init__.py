from . import test_api_doc
from . import test_browser
from . import test_graphql_docs
from . import test_schemathesis
from . import test_jsonapi_doc
