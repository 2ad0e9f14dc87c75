package io.tidemark.backends.webdav;

import io.tidemark.core.store.SnapshotStore.ObjectStat;
import io.tidemark.core.store.StoreException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads PROPFIND multistatus answers: names, collections, sizes and modification times. */
final class WebDavXml {
    private static final String DAV = "DAV:";

    private WebDavXml() {}

    /** One resource of a multistatus answer, named relative to the store's folder. */
    record Entry(String relative, boolean collection, long length, Instant lastModified) {}

    static List<Entry> entries(HttpResponse<byte[]> r, String rootPath, String what, String store) {
        List<Entry> out = new ArrayList<>();
        Document doc = parse(r.body(), what, store);
        NodeList responses = doc.getElementsByTagNameNS(DAV, "response");
        String root = decode(rootPath);
        for (int i = 0; i < responses.getLength(); i++) {
            Element response = (Element) responses.item(i);
            String href = decode(URI.create(text(response, "href").trim()).getRawPath());
            if (!href.startsWith(root)) {
                if ((href + "/").equals(root)) {
                    continue; // the store folder itself
                }
                throw new StoreException("PROPFIND of " + what + " in " + store + " named " + href
                        + " outside " + root);
            }
            String rel = href.substring(root.length());
            Element ok = okPropstat(response);
            if (ok == null) {
                continue;
            }
            boolean collection = ok.getElementsByTagNameNS(DAV, "collection").getLength() > 0;
            String length = text(ok, "getcontentlength");
            String modified = text(ok, "getlastmodified");
            out.add(new Entry(rel, collection, length.isBlank() ? -1 : Long.parseLong(length.trim()),
                    modified.isBlank() ? null : parseDate(modified.trim(), what, store)));
        }
        return out;
    }

    static Optional<ObjectStat> stat(HttpResponse<byte[]> r, String key, String store) {
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        Document doc = parse(r.body(), key, store);
        NodeList responses = doc.getElementsByTagNameNS(DAV, "response");
        if (responses.getLength() == 0) {
            return Optional.empty();
        }
        Element ok = okPropstat((Element) responses.item(0));
        if (ok == null || ok.getElementsByTagNameNS(DAV, "collection").getLength() > 0) {
            return Optional.empty();
        }
        String length = text(ok, "getcontentlength");
        String modified = text(ok, "getlastmodified");
        if (length.isBlank() || modified.isBlank()) {
            throw new StoreException("PROPFIND of " + key + " in " + store + " gave no size or modification time");
        }
        return Optional.of(new ObjectStat(Long.parseLong(length.trim()), parseDate(modified.trim(), key, store)));
    }

    private static Element okPropstat(Element response) {
        NodeList propstats = response.getElementsByTagNameNS(DAV, "propstat");
        for (int j = 0; j < propstats.getLength(); j++) {
            Element ps = (Element) propstats.item(j);
            if (text(ps, "status").contains(" 200 ")) {
                return ps;
            }
        }
        return null;
    }

    private static Instant parseDate(String s, String what, String store) {
        try {
            return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new StoreException("PROPFIND of " + what + " in " + store + " gave a bad date '" + s + "'", e);
        }
    }

    private static String text(Element parent, String name) {
        NodeList n = parent.getElementsByTagNameNS(DAV, name);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent();
    }

    private static String decode(String path) {
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Document parse(byte[] body, String what, String store) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw new StoreException("cannot parse the PROPFIND answer for " + what + " in " + store + ": "
                    + e.getMessage(), e);
        }
    }
}
