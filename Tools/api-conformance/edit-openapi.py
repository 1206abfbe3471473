"""Load, change and write back the gateway's OpenAPI document (Services/gateway/OpenAPIDocument.swift).

    python3 Tools/api-conformance/edit-openapi.py 'code that changes d'   # d is the document
The document stays sorted, indented by one space, as the Swift literal holds it."""
import json, re, sys

path = "Services/gateway/OpenAPIDocument.swift"
source = open(path).read()
match = re.search(r'(static let json = #"""\n)(.*?)(\n"""#)', source, re.S)
d = json.loads(match.group(2))
exec(sys.argv[1], {"d": d, "json": json})
text = json.dumps(d, indent=1, sort_keys=True, ensure_ascii=True)
open(path, "w").write(source[: match.start(2)] + text + source[match.end(2):])
