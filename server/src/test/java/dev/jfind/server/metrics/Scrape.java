package dev.jfind.server.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One scrape in the Prometheus text format, read as a person reads it: samples by their
 * series as printed ({@code name{label="value",...}}) and metric types by name.
 */
public final class Scrape {
    private final String text;
    private final Map<String, Double> samples = new HashMap<>();
    private final Map<String, String> types = new HashMap<>();

    private Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] words = line.split(" ");
                types.put(words[2], words[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int end = line.indexOf('}') >= 0 ? line.indexOf('}') + 1 : line.indexOf(' ');
                samples.put(line.substring(0, end), Double.parseDouble(line.substring(end).trim().split(" ")[0]));
            }
        }
    }

    /** GET {@code url} and parse it; fails the test on anything but 200. */
    public static Scrape get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + ": " + response.statusCode() + " " + response.body());
        }
        return new Scrape(response.body());
    }

    /** What the endpoint would serve from {@code registry} now. */
    static Scrape of(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return new Scrape(out.toString(StandardCharsets.UTF_8));
    }

    /** The sample's value, or 0 when the series is absent (a counter not yet incremented). */
    public double value(String series) {
        return samples.getOrDefault(series, 0.0);
    }

    public boolean has(String series) {
        return samples.containsKey(series);
    }

    /** "counter", "gauge", "histogram"..., or null for a metric not served. */
    public String type(String metric) {
        return types.get(metric);
    }

    public Set<String> metrics() {
        return new HashSet<>(types.keySet());
    }

    @Override
    public String toString() {
        return text;
    }
}
