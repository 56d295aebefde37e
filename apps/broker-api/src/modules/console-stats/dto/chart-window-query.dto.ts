import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const CHART_WINDOWS = { '24h': 24, '7d': 168 } as const;
export type ChartWindow = keyof typeof CHART_WINDOWS;

/** `?window=24h|7d` of the hourly chart endpoints. */
export class ChartWindowQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(CHART_WINDOWS), default: '24h' })
  @IsOptional()
  @IsIn(Object.keys(CHART_WINDOWS))
  window?: ChartWindow;
}
