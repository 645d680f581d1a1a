// Component tests of the widget run in happy-dom: IndexedDB comes from fake-indexeddb.
import 'fake-indexeddb/auto';
