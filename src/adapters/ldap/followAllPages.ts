import { Client, MessageResponseStatus, PagedResultsControl, StatusCodeParser } from 'ldapts';

/**
 * ldapts (8.0) asks for the next page of a paged search only when the page it got held entries. Active
 * Directory may answer a page with no entries and a cookie (its time limit per page passed, the rest still
 * to come): ldapts then ends the search there, as a success, and a search of the users branch comes back
 * short with no error — a plan made from it takes the people it did not read for new ones. This replaces
 * ldapts' private `_sendSearch` with the same steps, except that the next page is asked for whenever the
 * server's cookie says there is one. Checked at install: an ldapts without that method fails loudly here
 * (and in test/unit/ldap/followAllPages.test.ts) rather than paging short.
 */

interface SearchResponseLike {
  status: number;
  searchEntries: { toObject(attributes: unknown, explicitBufferAttributes: unknown): unknown }[];
  searchReferences: { uris: string[] }[];
  controls?: unknown[];
}
interface SearchRequestLike {
  messageId: number;
  sizeLimit?: number;
  attributes: unknown;
  explicitBufferAttributes: unknown;
}
interface SearchResultLike {
  searchEntries: unknown[];
  searchReferences: string[];
}
interface ClientInternals {
  _nextMessageId(): number;
  _send(request: unknown): Promise<SearchResponseLike | undefined>;
  _sendSearch: SendSearch;
}
type SendSearch = (
  this: ClientInternals,
  searchRequest: SearchRequestLike,
  searchResult: SearchResultLike,
  paged: boolean,
  pageSize: number,
  pagedResultsControl: PagedResultsControl | undefined,
  fetchAll?: boolean,
) => Promise<PagedResultsControl | undefined>;

let installed = false;

export function followAllPages(): void {
  if (installed) return;
  const proto = Client.prototype as unknown as Partial<ClientInternals>; // its private methods, replaced on purpose (above)
  if (typeof proto._sendSearch !== 'function' || proto._sendSearch.length < 5) {
    throw new Error('ldapts mudou: _sendSearch não existe mais; a correção da paginação (followAllPages) precisa ser revista');
  }
  const sendSearch: SendSearch = async function (searchRequest, searchResult, paged, pageSize, pagedResultsControl, fetchAll = true) {
    // A loop where ldapts recursed: tens of thousands of pages must not grow the stack.
    for (;;) {
      searchRequest.messageId = this._nextMessageId();
      const result = await this._send(searchRequest);
      const sizeLimited = result?.status === MessageResponseStatus.SizeLimitExceeded && Boolean(searchRequest.sizeLimit);
      if (result?.status !== MessageResponseStatus.Success && !sizeLimited) {
        // ldapts' own parser: the same error classes (NoSuchObjectError, BusyError…) the rest of the adapter expects.
        throw StatusCodeParser.parse(result as Parameters<typeof StatusCodeParser.parse>[0]);
      }
      for (const e of result.searchEntries) searchResult.searchEntries.push(e.toObject(searchRequest.attributes, searchRequest.explicitBufferAttributes));
      for (const r of result.searchReferences) searchResult.searchReferences.push(...r.uris);
      if (!paged || !pagedResultsControl) return undefined;
      const answer = (result.controls ?? []).find((c): c is PagedResultsControl => c instanceof PagedResultsControl);
      const cookie = answer?.value?.cookie;
      if (!cookie || cookie.length === 0) return undefined;
      pagedResultsControl.value = pagedResultsControl.value ?? { size: pageSize };
      pagedResultsControl.value.cookie = cookie;
      if (!fetchAll) return pagedResultsControl;
    }
  };
  proto._sendSearch = sendSearch;
  installed = true;
}
