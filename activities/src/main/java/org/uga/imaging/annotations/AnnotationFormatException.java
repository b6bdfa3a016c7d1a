package org.uga.imaging.annotations;

/**
 * A malformed or unsupported annotation file. The message names the format, the line/column when known and
 * the element or JSON member at fault, so a user can open the file and fix it.
 */
public class AnnotationFormatException extends Exception {

    private final int line;
    private final int column;
    private final String element;

    public AnnotationFormatException(String format, String message, int line, int column, String element, Throwable cause) {
        super(compose(format, message, line, column, element), cause);
        this.line = line;
        this.column = column;
        this.element = element;
    }

    public AnnotationFormatException(String format, String message, int line, int column, String element) {
        this(format, message, line, column, element, null);
    }

    private static String compose(String format, String message, int line, int column, String element) {
        StringBuilder sb = new StringBuilder(format).append(' ');
        if (line > 0) {
            sb.append("line ").append(line);
            if (column > 0) {
                sb.append(", column ").append(column);
            }
            sb.append(": ");
        }
        if (element != null && !element.isEmpty()) {
            sb.append('<').append(element).append("> ");
        }
        return sb.append(message).toString();
    }

    /** 1-based line, or -1 when unknown. */
    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The XML element or JSON member path at fault, or null. */
    public String element() {
        return element;
    }
}
