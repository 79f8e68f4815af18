export { TextAreaField } from '@/components/ui/field';
export { CheckboxField } from '@/components/ui/checkbox-field';
