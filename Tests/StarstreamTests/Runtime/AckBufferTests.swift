@testable import Streams
import Testing

@Suite("Acknowledgement buffer: a handled entry is never handled again by this process")
struct AckBufferTests {
    @Test("done from the handler's return, through its XACK, until the next pending read starts")
    func doneUntilNextPendingRead() {
        let acks = AckBuffer()
        acks.add("1-0")
        #expect(acks.isDone("1-0"), "handled, not yet acknowledged")
        let batch = acks.take()
        #expect(batch == ["1-0"] && acks.isEmpty)
        #expect(acks.isDone("1-0"), "its XACK is on the wire")
        // The flush confirms while a reclaim is still looking at an XAUTOCLAIM reply sent
        // before the XACK landed: that reply may hold the entry, which must still be skipped.
        acks.confirm(batch)
        #expect(acks.isDone("1-0"))
        // A read sent after the confirmation cannot return the entry: it may be forgotten.
        acks.pendingReadStarts()
        #expect(!acks.isDone("1-0"))
    }

    @Test("a failed acknowledgement is retried and the entry stays done meanwhile")
    func failedAcknowledgement() {
        let acks = AckBuffer()
        acks.add("2-0")
        acks.restore(acks.take())
        acks.pendingReadStarts()
        #expect(acks.isDone("2-0"))
        #expect(acks.take() == ["2-0"])
    }
}
