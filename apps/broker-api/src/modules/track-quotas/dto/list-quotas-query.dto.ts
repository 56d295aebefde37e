import { PageQueryDto } from '../../../common/dto/page-query.dto';

/** `GET /v1/admin/tracks/quotas` query. */
export class ListQuotasQueryDto extends PageQueryDto {}
