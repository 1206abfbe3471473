internal import CCurl
import Foundation

/// libcurl must be initialised once per process, before any thread uses it.
private let curlInitialised: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// Where a transfer's body goes, and what it learned about the response.
///
/// It is handed to libcurl's callbacks as an opaque pointer; the callbacks are
/// non-capturing closures (a capturing one crashes the 6.3.1 compiler as a C callback).
final class TransferSink {
    /// The body goes to memory, or to a file descriptor opened for appending.
    let fileDescriptor: Int32?
    /// Bytes already in the file before this transfer (a resumed download).
    var resumeOffset: Int
    /// The most bytes the whole body may have, resumed bytes included.
    let limit: Int?
    var body: [UInt8] = []
    var errorBody: [UInt8] = []
    var received = 0
    var status = 0
    var headers: [String: String] = [:]
    var exceededLimit = false
    var writeError: String?

    init(fileDescriptor: Int32? = nil, resumeOffset: Int = 0, limit: Int?) {
        self.fileDescriptor = fileDescriptor
        self.resumeOffset = resumeOffset
        self.limit = limit
    }

    var isErrorStatus: Bool { status >= 300 }

    func header(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            // A new response (after a redirect or a 100 Continue) starts afresh.
            status = Int(trimmed.split(separator: " ").dropFirst().first ?? "") ?? 0
            headers = [:]
            if status == 200, resumeOffset > 0, let fileDescriptor {
                // The server ignored our Range: start the file over.
                guard ftruncate(fileDescriptor, 0) == 0, lseek(fileDescriptor, 0, SEEK_SET) == 0 else {
                    writeError = String(cString: strerror(errno))
                    return false
                }
                resumeOffset = 0
            }
            return true
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return true }
        let name = trimmed[..<colon].lowercased()
        let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headers[name] = value
        if name == "content-length", !isErrorStatus, let limit, let length = Int(value), length + resumeOffset > limit {
            exceededLimit = true
            return false
        }
        return true
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if isErrorStatus, fileDescriptor != nil {
            // An error page is kept (a little of it) for the error message, never written to the file.
            errorBody.append(contentsOf: bytes.prefix(max(0, 4096 - errorBody.count)))
            return true
        }
        received += bytes.count
        if let limit, received + resumeOffset > limit {
            exceededLimit = true
            return false
        }
        guard let fileDescriptor else {
            body.append(contentsOf: bytes)
            return true
        }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                writeError = String(cString: strerror(errno))
                return false
            }
            offset += written
        }
        return true
    }
}

/// The options of one transfer.
struct TransferOptions: Sendable {
    var url: String
    var method = "GET"
    var headers: [(String, String)] = []
    var body: [UInt8]?
    var connectTimeout: Duration
    /// The whole transfer's limit; nil for downloads, which use the low-speed limit instead.
    var totalTimeout: Duration?
    /// Abort when fewer than 1 byte/s arrive for this long.
    var stallTimeout: Duration
    var userAgent: String
    var acceptCompressed = true
}

/// Each thread's easy handle, kept between its transfers and cleaned up when the thread ends.
///
/// Why: an easy handle owns a connection cache that `curl_easy_reset` keeps, so the next
/// request to the same host reuses the open keep-alive connection instead of a new TCP
/// connection (and, on the server side, a new channel) per request — what a gateway asking
/// the same services thousands of times a second pays for otherwise. A handle is never used
/// by two threads at once (libcurl forbids it): the transfer's thread is its only user.
private let threadHandleKey: pthread_key_t = {
    var key = pthread_key_t()
    _ = pthread_key_create(&key) { handle in curl_easy_cleanup(handle) }
    return key
}()

/// How many connections (to distinct hosts and ports) one thread's handle keeps open: one per
/// service a gateway talks to, with room to spare.
private let connectionsKeptPerThread = 16

enum CurlTransfer {
    /// The calling thread's handle, its connections kept; every option is at its default
    /// (`perform` resets it after each transfer).
    private static func threadHandle() -> UnsafeMutableRawPointer? {
        if let handle = pthread_getspecific(threadHandleKey) { return handle }
        guard let handle = curl_easy_init() else { return nil }
        guard pthread_setspecific(threadHandleKey, handle) == 0 else {
            curl_easy_cleanup(handle)
            return nil
        }
        return handle
    }

    /// Runs one transfer to completion on the calling thread (which must not be a Swift
    /// cooperative thread: this blocks).
    static func perform(_ options: TransferOptions, into sink: TransferSink) -> Result<Void, HTTPClientError> {
        _ = curlInitialised
        guard let handle = threadHandle() else {
            return .failure(.transport(url: options.url, code: -1, message: "curl_easy_init failed"))
        }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        // Runs first: the kept handle lets go of this call's buffers before they are freed.
        defer { curl_easy_reset(handle) }

        let context = Unmanaged.passUnretained(sink).toOpaque()
        _ = starstream_curl_set_string(handle, CURLOPT_URL, options.url)
        _ = starstream_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = starstream_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = starstream_curl_set_long(handle, CURLOPT_MAXCONNECTS, connectionsKeptPerThread)
        // A kept handle keeps its DNS cache too: short, so a service restarted at a new address
        // (a compose container) is found again within seconds, not libcurl's default minute.
        _ = starstream_curl_set_long(handle, CURLOPT_DNS_CACHE_TIMEOUT, 2)
        _ = starstream_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 1)
        _ = starstream_curl_set_long(handle, CURLOPT_MAXREDIRS, 5)
        _ = starstream_curl_set_string(handle, CURLOPT_USERAGENT, options.userAgent)
        _ = starstream_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeout.inMilliseconds)
        if let total = options.totalTimeout {
            _ = starstream_curl_set_long(handle, CURLOPT_TIMEOUT_MS, total.inMilliseconds)
        }
        _ = starstream_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        _ = starstream_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, options.stallTimeout.inMilliseconds / 1000))
        if options.acceptCompressed { _ = starstream_curl_set_string(handle, CURLOPT_ACCEPT_ENCODING, "") }
        _ = starstream_curl_set_callback(handle, CURLOPT_WRITEFUNCTION, writeCallback)
        _ = starstream_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = starstream_curl_set_callback(handle, CURLOPT_HEADERFUNCTION, headerCallback)
        _ = starstream_curl_set_pointer(handle, CURLOPT_HEADERDATA, context)
        if sink.resumeOffset > 0 {
            _ = starstream_curl_set_offset(handle, CURLOPT_RESUME_FROM_LARGE, curl_off_t(sink.resumeOffset))
        }
        for (name, value) in options.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
        if let headerList { _ = starstream_curl_set_slist(handle, CURLOPT_HTTPHEADER, headerList) }
        if let body = options.body {
            _ = starstream_curl_set_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            _ = body.withUnsafeBytes { starstream_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
        }
        if options.method == "POST" {
            _ = starstream_curl_set_long(handle, CURLOPT_POST, 1)
        } else if options.method != "GET" {
            _ = starstream_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, options.method)
        }

        let code = curl_easy_perform(handle)
        var status = 0
        _ = starstream_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        if status != 0 { sink.status = status }
        if sink.exceededLimit, let limit = sink.limit {
            return .failure(.tooLarge(url: options.url, limit: limit))
        }
        if let problem = sink.writeError {
            return .failure(.file(path: options.url, message: problem))
        }
        guard code == CURLE_OK else {
            var message = String(cString: errorBuffer)
            if message.isEmpty { message = String(cString: curl_easy_strerror(code)) }
            return .failure(.transport(url: options.url, code: Int(code.rawValue), message: message))
        }
        return .success(())
    }
}

private let writeCallback: starstream_curl_data_callback = { data, size, count, context in
    let sink = Unmanaged<TransferSink>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    return sink.write(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private let headerCallback: starstream_curl_data_callback = { data, size, count, context in
    let sink = Unmanaged<TransferSink>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    return sink.header(line) ? length : 0
}
