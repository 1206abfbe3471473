internal import CFitsio
import Foundation

/// Images and binary-table columns.
extension FITSFile {
    /// The current HDU's image dimensions, fastest axis first (`[3909, 5]` for a DR5 spectrum).
    public func imageShape() throws(FITSError) -> [Int] {
        var dimensions: Int32 = 0
        try call("read image dimensions") { ffgidm($0, &dimensions, &$1) }
        guard dimensions > 0 else { return [] }
        var sizes = [Int](repeating: 0, count: Int(dimensions))
        try call("read image size") { ffgisz($0, dimensions, &sizes, &$1) }
        return sizes
    }

    /// `count` pixels of the current image from 0-based pixel `offset`, as Float.
    /// Undefined pixels come back as NaN.
    public func readPixels(offset: Int = 0, count: Int) throws(FITSError) -> [Float] {
        guard count > 0 else { return [] }
        var bitpix: Int32 = 0
        try call("read image type") { ffgidt($0, &bitpix, &$1) }
        try requireData(Self.product(offset.addingReportingOverflow(count), Int(bitpix.magnitude) / 8), "read \(count) pixels at \(offset)")
        var pixels = [Float](repeating: 0, count: count)
        var null = Float.nan
        var anyNull: Int32 = 0
        try call("read \(count) pixels at \(offset)") { ffgpv($0, TFLOAT, LONGLONG(offset + 1), LONGLONG(count), &null, &pixels, &anyNull, &$1) }
        return pixels
    }

    /// Row `row` (0-based) of a 2-D image.
    public func readImageRow(_ row: Int) throws(FITSError) -> [Float] {
        let shape = try imageShape()
        guard shape.count == 2, (0..<shape[1]).contains(row) else {
            throw FITSError(path: path, operation: "read image row \(row)", message: "image shape is \(shape)")
        }
        guard let offset = Self.product((row, false), shape[0]) else {
            throw FITSError(path: path, operation: "read image row \(row)", message: "image shape \(shape) is larger than can be counted")
        }
        return try readPixels(offset: offset, count: shape[0])
    }

    /// `value × factor`, nil when `value` or the product overflowed.
    static func product(_ value: (partialValue: Int, overflow: Bool), _ factor: Int) -> Int? {
        guard !value.overflow, value.partialValue >= 0, factor >= 0 else { return nil }
        let product = value.partialValue.multipliedReportingOverflow(by: factor)
        return product.overflow ? nil : product.partialValue
    }

    /// Creates a float32 image HDU of `width × height` holding `pixels` (row after row).
    public func writeImage(width: Int, height: Int, pixels: [Float]) throws(FITSError) {
        guard pixels.count == width * height else {
            throw FITSError(path: path, operation: "write image", message: "\(pixels.count) pixels for a \(width)×\(height) image")
        }
        var axes = [width, height]
        try call("create image") { ffcrim($0, FLOAT_IMG, 2, &axes, &$1) }
        var data = pixels
        try call("write pixels") { ffppr($0, TFLOAT, 1, LONGLONG(data.count), &data, &$1) }
    }

    // MARK: - Binary tables

    public func tableRowCount() throws(FITSError) -> Int {
        var rows = 0
        try call("read row count") { ffgnrw($0, &rows, &$1) }
        return rows
    }

    /// Every element of column `name` in 1-based `row` (a vector column such as `FLUX`), as Float.
    public func readColumn(_ name: String, row: Int = 1) throws(FITSError) -> [Float] {
        var template = Array(name.utf8CString)
        var column: Int32 = 0
        try call("find column \(name)") { ffgcno($0, CASEINSEN, &template, &column, &$1) }
        var type: Int32 = 0
        var repeatCount = 0
        var width = 0
        try call("read column \(name) type") { ffgtcl($0, column, &type, &repeatCount, &width, &$1) }
        // A row is NAXIS1 bytes and the column's elements lie inside it; variable-length columns
        // (their data in the heap, where THEAP says) are not read here.
        var rowBytes: LONGLONG = 0
        try call("read NAXIS1") { ffgkyjj($0, "NAXIS1", &rowBytes, nil, &$1) }
        guard type > 0, let columnBytes = Self.product((repeatCount, false), max(width, 1)), columnBytes <= rowBytes else {
            throw FITSError(
                path: path, operation: "read column \(name)",
                message: "column of \(repeatCount) × \(width) bytes (type \(type)) does not fit a row of \(rowBytes) bytes")
        }
        try requireData(Self.product((row, false), Int(rowBytes)), "read column \(name) of row \(row)")
        var values = [Float](repeating: 0, count: repeatCount)
        var null = Float.nan
        var anyNull: Int32 = 0
        try call("read column \(name)") { ffgcv($0, TFLOAT, column, LONGLONG(row), 1, LONGLONG(repeatCount), &null, &values, &anyNull, &$1) }
        return values
    }

    /// Creates a one-row binary table named `name` whose columns are float32 vectors.
    public func writeVectorTable(name: String, columns: [(name: String, values: [Float])]) throws(FITSError) {
        var names = columns.map { strdup($0.name) }
        var formats = columns.map { strdup("\($0.values.count)E") }
        var units = columns.map { _ in strdup("") }
        var tableName = Array(name.utf8CString)
        defer { (names + formats + units).forEach { free($0) } }
        try call("create table \(name)") { handle, status in
            names.withUnsafeMutableBufferPointer { names in
                formats.withUnsafeMutableBufferPointer { formats in
                    units.withUnsafeMutableBufferPointer { units in
                        ffcrtb(handle, BINARY_TBL, 1, Int32(columns.count), names.baseAddress, formats.baseAddress, units.baseAddress, &tableName, &status)
                    }
                }
            }
        }
        for (index, column) in columns.enumerated() {
            var values = column.values
            try call("write column \(column.name)") { ffpcl($0, TFLOAT, Int32(index + 1), 1, 1, LONGLONG(values.count), &values, &$1) }
        }
    }
}
