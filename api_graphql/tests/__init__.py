from . import test_graphql_query
from . import test_graphql_mutation
from . import test_graphql_errors
from . import test_graphql_client
from . import test_graphql_schema_changes
from . import test_graphql_types
from . import test_graphql_write_checks
