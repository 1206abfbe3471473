/// An element or attribute name with its namespace resolved: the URI, never the prefix.
public struct XMLName: Sendable, Hashable, CustomStringConvertible {
    /// The namespace URI; empty for no namespace.
    public var namespace: String
    public var local: String

    public init(namespace: String, local: String) {
        (self.namespace, self.local) = (namespace, local)
    }

    public var description: String { namespace.isEmpty ? local : "{\(namespace)}\(local)" }
}

public struct XMLAttribute: Sendable, Equatable {
    public var name: XMLName
    public var value: String

    public init(name: XMLName, value: String) {
        (self.name, self.value) = (name, value)
    }
}

/// What `XMLReader.next()` reads. Text comes in runs (a CDATA section is a run of its own):
/// a reader that wants an element's whole text joins the runs between its start and end.
public enum XMLEvent: Sendable, Equatable {
    case start(XMLName, [XMLAttribute])
    case end(XMLName)
    case text(String)
}

extension [XMLAttribute] {
    /// The value of the attribute with this local name and no namespace.
    public subscript(_ local: String) -> String? {
        first { $0.name.local == local && $0.name.namespace.isEmpty }?.value
    }
}

/// The first well-formedness error of a document: where, and what.
public struct XMLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var reason: String

    public init(line: Int, column: Int, reason: String) {
        (self.line, self.column, self.reason) = (line, column, reason)
    }

    public var description: String { "not well-formed XML at line \(line), column \(column): \(reason)" }
}
