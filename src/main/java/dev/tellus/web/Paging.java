package dev.tellus.web;

/** Page sizes of list endpoints: {@code limit} defaults to 100 and may be 1 to 1000. */
public final class Paging {

    public static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 1000;

    private Paging() {
    }

    public static int pageSize(Integer limit) {
        if (limit == null) {
            return DEFAULT_PAGE;
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidRequest("limit", "must be between 1 and " + MAX_PAGE);
        }
        return limit;
    }
}
