package dev.jfind.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.jfind.api.v1.CrawlProgress;
import dev.jfind.api.v1.FileType;
import dev.jfind.api.v1.GetStatusResponse;
import dev.jfind.api.v1.PathEntry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How results and progress look: terminal quoting, lossless JSON, the progress line. */
class OutputTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void terminalQuotingMakesControlCharactersAndBadBytesVisible() {
        assertArrayEquals(b("/plain/caf\u00e9"), TerminalQuoting.quote(b("/plain/caf\u00e9")), "safe paths stay as they are");
        assertEquals("$'/a/line\\nbreak'", new String(TerminalQuoting.quote(b("/a/line\nbreak")), StandardCharsets.UTF_8));
        assertEquals("$'/a/esc\\x1b[31m'", new String(TerminalQuoting.quote(b("/a/esc\u001b[31m")), StandardCharsets.UTF_8));
        assertEquals("$'/a/bad\\xff\\'q\\''", new String(TerminalQuoting.quote(
                new byte[] {'/', 'a', '/', 'b', 'a', 'd', (byte) 0xff, '\'', 'q', '\''}), StandardCharsets.UTF_8));
    }

    @Test
    void jsonKeepsEveryByteOfAPathThatIsNotUtf8() throws Exception {
        byte[] path = {'/', 'x', (byte) 0xff, (byte) 0xc3, (byte) 0xa9};
        String escaped = PathOutput.surrogateEscaped(path);
        assertEquals("/x\udcff\u00e9", escaped);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PathOutput json = new PathOutput(out, PathOutput.Format.JSON, false, true);
        json.write(PathEntry.newBuilder().setPath(ByteString.copyFrom(path)).setType(FileType.FILE_TYPE_FILE)
                .setSize(3).setModifyTime(Timestamp.newBuilder().setSeconds(0)).build(), "added");
        assertEquals("{\"event\":\"added\",\"path\":\"/x\\udcff\u00e9\",\"path_b64\":\"L3j/w6k=\",\"type\":\"file\","
                + "\"size\":3,\"mtime\":\"1970-01-01T00:00:00Z\"}\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void eventsAreMarkedAndNulTerminatedLinesStayRaw() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PathOutput lines = new PathOutput(out, PathOutput.Format.LINES, true, true);
        PathEntry e = PathEntry.newBuilder().setPath(ByteString.copyFrom(b("/a\nb"))).build();
        lines.write(e, "removed");
        lines.write(e, null);
        assertArrayEquals(b("- /a\nb\0/a\nb\0"), out.toByteArray(), "-0 output is never quoted");
    }

    @Test
    void progressLineShowsABarRateAndTimeLeftWithAnEstimate() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        GetStatusResponse s = GetStatusResponse.newBuilder().setCrawlRunning(true).setCrawl(CrawlProgress.newBuilder()
                .setEntries(250_000).setDirectories(20_000).setEstimatedEntries(1_000_000)
                .setStartTime(Timestamp.newBuilder().setSeconds(start.getEpochSecond()))).build();
        String line = StatusCommand.progressLine(s, start.plusSeconds(10));
        assertTrue(line.startsWith("[######..................]  25% 250,000 of ~1,000,000 entries, 25,000/s"), line);
        assertTrue(line.endsWith("about 30 s left"), line);
        GetStatusResponse unknown = s.toBuilder().setCrawl(s.getCrawl().toBuilder().setEstimatedEntries(0)).build();
        assertEquals("250,000 entries in 20,000 directories so far, 25,000/s",
                StatusCommand.progressLine(unknown, start.plusSeconds(10)));
    }
}
