import Foundation

/// Writes papers as arXiv API response pages (the 2026 layout), newest update first, so that
/// a `file://` poller or a local server can serve them like the real API.
enum AtomWriter {
    static func page(_ papers: [AbstractGenerator.Paper], start: Int, total: Int) -> String {
        var xml = """
            <?xml version='1.0' encoding='UTF-8'?>
            <feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
              <id>https://arxiv.org/api/starstream-sim</id>
              <title>arXiv Query: simulated</title>
              <updated>\(date(Date()))</updated>
              <opensearch:itemsPerPage>\(papers.count)</opensearch:itemsPerPage>
              <opensearch:totalResults>\(total)</opensearch:totalResults>
              <opensearch:startIndex>\(start)</opensearch:startIndex>

            """
        for paper in papers {
            let id = "\(paper.id)v\(paper.version)"
            xml += """
                  <entry>
                    <id>http://arxiv.org/abs/\(id)</id>
                    <title>\(escape(paper.title))</title>
                    <updated>\(date(paper.updated))</updated>
                    <link href="https://arxiv.org/abs/\(id)" rel="alternate" type="text/html"/>
                    <link href="https://arxiv.org/pdf/\(id)" rel="related" type="application/pdf" title="pdf"/>
                    <summary>\(escape(paper.summary))</summary>

                """
            for category in paper.categories { xml += "    <category term=\"\(category)\" scheme=\"http://arxiv.org/schemas/atom\"/>\n" }
            xml += "    <published>\(date(paper.published))</published>\n"
            xml += "    <arxiv:primary_category term=\"\(paper.primaryCategory)\"/>\n"
            for author in paper.authors { xml += "    <author>\n      <name>\(escape(author))</name>\n    </author>\n" }
            xml += "  </entry>\n"
        }
        return xml + "</feed>\n"
    }

    static func date(_ date: Date) -> String { date.formatted(.iso8601) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
