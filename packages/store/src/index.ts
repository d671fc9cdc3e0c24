export { openSqliteStore, type SqliteStoreOptions } from './sqlite.js'
export { storeOver } from './store-over.js'
export type {
  CandleSeries,
  EquityPoint,
  FundingRate,
  RecordKind,
  Run,
  RunMode,
  RunRecord,
  RunStart,
  SqlDialect,
  SqlRow,
  SqlValue,
  StoreDriver,
  TimeRange,
  TradeStore,
} from './types.js'
