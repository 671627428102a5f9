"""docs/openapi.yaml is a valid OpenAPI 3.0 document, as standard validators judge it.

1. The OpenAPI Initiative's JSON Schema for 3.0 (Debian's openapi-specification package,
   /usr/share/openapi-specification/schemas/v3.0/schema.json) checked by python3-jsonschema: the schema
   openapi-spec-validator applies to a 3.0 document.
2. The rules of the specification that JSON Schema cannot express, which openapi-spec-validator checks as
   well: every $ref resolves; each {parameter} of a path template is a required path parameter of every
   operation under it and every path parameter is in the template; parameters unique by name and location;
   operationIds unique; security requirements name declared schemes; a schema's required properties are
   among its properties; default values valid against their schemas.
3. openapi-spec-validator itself when it is installed (Debian 13's python3-openapi-spec-validator; Debian 12
   has none).

Usage: openapi_valid_test.py docs/openapi.yaml   (run by ctest: docs.openapi_valid)
"""
import json
import re
import sys
import unittest

import jsonschema
import yaml

OPENAPI_30_SCHEMA = "/usr/share/openapi-specification/schemas/v3.0/schema.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def resolve(document, ref):
    """The node a local $ref names; KeyError when it names nothing."""
    if not ref.startswith("#/"):
        raise KeyError("not a local reference: " + ref)
    node = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def walk(node, where="#"):
    """Every (JSON pointer, mapping) of the document."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from walk(value, "%s/%s" % (where, str(key).replace("~", "~0").replace("/", "~1")))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, "%s/%d" % (where, i))


class OpenApiDocumentIsValid(unittest.TestCase):
    maxDiff = None  # every problem listed
    @classmethod
    def setUpClass(cls):
        with open(DOCUMENT, encoding="utf-8") as f:
            cls.document = yaml.safe_load(f)

    def deref(self, node):
        return resolve(self.document, node["$ref"]) if isinstance(node, dict) and "$ref" in node else node

    def test_every_key_is_a_string(self):
        # YAML reads 200: or yes: as a number or a boolean; JSON and the specification want strings.
        bad = [where + "/" + repr(key) for where, node in walk(self.document) for key in node if not isinstance(key, str)]
        self.assertEqual(bad, [], "keys that are not strings (quote them)")

    def test_the_openapi_initiatives_json_schema_accepts_it(self):
        with open(OPENAPI_30_SCHEMA, encoding="utf-8") as f:
            schema = json.load(f)
        validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.draft4_format_checker)
        # The deepest reason of each error: the best match among the alternatives a oneOf offered.
        errors = ["%s: %s" % ("/".join(str(p) for p in e.absolute_path), jsonschema.exceptions.best_match([e]).message)
                  for e in validator.iter_errors(json.loads(json.dumps(self.document)))]
        self.assertEqual(errors, [], "the OpenAPI 3.0 schema refuses the document")

    def test_every_ref_resolves(self):
        broken = []
        for where, node in walk(self.document):
            if isinstance(node.get("$ref"), str):
                try:
                    resolve(self.document, node["$ref"])
                except (KeyError, IndexError, TypeError):
                    broken.append("%s: %s" % (where, node["$ref"]))
        self.assertEqual(broken, [], "references to nothing")

    def operations(self):
        for path, item in self.document["paths"].items():
            for method in METHODS:
                if method in item:
                    yield path, method, item, item[method]

    def test_path_parameters_match_the_path_templates(self):
        problems = []
        for path, method, item, operation in self.operations():
            parameters = [self.deref(p) for p in item.get("parameters", [])]
            # An operation's parameter overrides the path item's of the same name and location.
            own = {(p["name"], p["in"]): p for p in (self.deref(q) for q in operation.get("parameters", []))}
            merged = {(p["name"], p["in"]): p for p in parameters}
            merged.update(own)
            declared = {name for (name, where), p in merged.items() if where == "path"}
            templated = set(re.findall(r"\{([^}]+)\}", path))
            for name in templated - declared:
                problems.append("%s %s: {%s} is not a declared path parameter" % (method, path, name))
            for name in declared - templated:
                problems.append("%s %s: path parameter %s is not in the path" % (method, path, name))
            for (name, where), p in merged.items():
                if where == "path" and p.get("required") is not True:
                    problems.append("%s %s: path parameter %s is not required: true" % (method, path, name))
        self.assertEqual(problems, [], "path templates and path parameters disagree")

    def test_parameters_are_unique_by_name_and_location(self):
        problems = []
        for path, method, item, operation in self.operations():
            for where in (item, operation):
                keys = [(p["name"], p["in"]) for p in (self.deref(q) for q in where.get("parameters", []))]
                problems += ["%s %s: %s twice" % (method, path, k) for k in set(keys) if keys.count(k) > 1]
        self.assertEqual(problems, [], "duplicate parameters")

    def test_operation_ids_are_unique(self):
        ids = [op["operationId"] for _, _, _, op in self.operations() if "operationId" in op]
        self.assertEqual(sorted({i for i in ids if ids.count(i) > 1}), [], "operationIds used twice")

    def test_security_requirements_name_declared_schemes(self):
        schemes = set(self.document.get("components", {}).get("securitySchemes", {}))
        requirements = list(self.document.get("security", []))
        for _, _, _, operation in self.operations():
            requirements += operation.get("security", [])
        unknown = sorted({name for requirement in requirements for name in requirement} - schemes)
        self.assertEqual(unknown, [], "security requirements naming no declared scheme")

    def schemas(self):
        """Every Schema Object of the document (components, parameters, media types, their sub-schemas)."""
        for where, node in walk(self.document):
            if where.endswith("/schema") or re.search(r"/components/schemas/[^/]+$", where) \
                    or re.search(r"/(properties/[^/]+|items|additionalProperties)$", where):
                if "$ref" not in node:
                    yield where, node

    def test_required_properties_are_among_the_properties(self):
        problems = []
        for where, schema in self.schemas():
            if "properties" in schema and "required" in schema:
                missing = set(schema["required"]) - set(schema["properties"])
                if missing:
                    problems.append("%s: required %s not in properties" % (where, sorted(missing)))
        self.assertEqual(problems, [], "required properties that are not defined")

    def test_default_values_are_valid(self):
        problems = []
        resolver = jsonschema.RefResolver.from_schema(self.document)
        for where, schema in self.schemas():
            if "default" in schema:
                for e in jsonschema.Draft4Validator(schema, resolver=resolver).iter_errors(schema["default"]):
                    problems.append("%s: default: %s" % (where, e.message))
        self.assertEqual(problems, [], "default values their own schemas refuse")

    def test_openapi_spec_validator_accepts_it_when_installed(self):
        try:
            from openapi_spec_validator import validate_spec  # pylint: disable=import-outside-toplevel
        except ImportError:
            self.skipTest("openapi-spec-validator is not installed (Debian 12 has no python3-openapi-spec-validator)")
        validate_spec(self.document)


if __name__ == "__main__":
    DOCUMENT = sys.argv[1]
    unittest.main(argv=sys.argv[:1] + sys.argv[2:], verbosity=2)
